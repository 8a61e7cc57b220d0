"""Sign-in: the token exchange and who the caller is."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api import inputs as i
from api import serializers as s
from api.errors import validated
from workflow.errors import CaseInvalid


class TokenView(APIView):
    """Exchange a username and password for the API token (`Authorization: Token <key>`)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    extra_error_codes = ("429",)

    @extend_schema(request=i.TokenInput, responses=s.TokenSerializer, auth=[], tags=["auth"])
    def post(self, request):
        data = validated(i.TokenInput, request)
        # The Django request, so that django-axes counts failures and its middleware answers
        # a locked-out client with 429 (config.security.lockout_response).
        user = authenticate(request._request, username=data["username"], password=data["password"])
        if user is None:
            raise CaseInvalid(_("Tên đăng nhập hoặc mật khẩu không đúng."))
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MeView(APIView):
    """Who the token or session belongs to (also the load test's baseline)."""

    @extend_schema(responses=s.MeSerializer, tags=["auth"])
    def get(self, request):
        user = request.user
        return Response({"username": user.get_username(), "full_name": user.get_full_name()})
